import { arg, scpdXml, type ScpdSpec } from "./scpd-xml.js";

/**
 * X_MS_MediaReceiverRegistrar:1, Microsoft's service for Windows Media Connect receivers (Xbox
 * 360, WMP, some Sony/LG TVs). There is no public template; names, order and types are those
 * Windows' own media sharing publishes and MiniDLNA copies, which these clients accept.
 */
export const REGISTRAR_SCPD_SPEC: ScpdSpec = {
  actions: [
    {
      name: "IsAuthorized",
      arguments: [
        arg.in("DeviceID", "A_ARG_TYPE_DeviceID"),
        arg.out("Result", "A_ARG_TYPE_Result"),
      ],
    },
    {
      name: "RegisterDevice",
      arguments: [
        arg.in("RegistrationReqMsg", "A_ARG_TYPE_RegistrationReqMsg"),
        arg.out("RegistrationRespMsg", "A_ARG_TYPE_RegistrationRespMsg"),
      ],
    },
    {
      name: "IsValidated",
      arguments: [
        arg.in("DeviceID", "A_ARG_TYPE_DeviceID"),
        arg.out("Result", "A_ARG_TYPE_Result"),
      ],
    },
  ],
  stateVariables: [
    { name: "A_ARG_TYPE_DeviceID", dataType: "string", sendEvents: false },
    { name: "A_ARG_TYPE_Result", dataType: "int", sendEvents: false },
    { name: "A_ARG_TYPE_RegistrationReqMsg", dataType: "bin.base64", sendEvents: false },
    { name: "A_ARG_TYPE_RegistrationRespMsg", dataType: "bin.base64", sendEvents: false },
    { name: "AuthorizationGrantedUpdateID", dataType: "ui4", sendEvents: true },
    { name: "AuthorizationDeniedUpdateID", dataType: "ui4", sendEvents: true },
    { name: "ValidationSucceededUpdateID", dataType: "ui4", sendEvents: true },
    { name: "ValidationRevokedUpdateID", dataType: "ui4", sendEvents: true },
  ],
};

/** The X_MS_MediaReceiverRegistrar SCPD served at /media/upnp/msr.xml. */
export const REGISTRAR_SCPD = scpdXml(REGISTRAR_SCPD_SPEC);
