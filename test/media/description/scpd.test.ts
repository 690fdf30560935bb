import assert from "node:assert/strict";
import { XMLValidator } from "fast-xml-parser";
import {
  CONNECTION_MANAGER_SCPD,
  CONTENT_DIRECTORY_SCPD,
  REGISTRAR_SCPD,
  UPNP_SCPDS,
  UPNP_SERVICES,
  scpdXml,
} from "../../../media/description/index.js";
import { EXPECTED_SCPDS, scpdSummary } from "./scpd-expectations.js";

const SCPDS = { cds: CONTENT_DIRECTORY_SCPD, cms: CONNECTION_MANAGER_SCPD, msr: REGISTRAR_SCPD };

describe("SCPDs", () => {
  for (const [key, xml] of Object.entries(SCPDS) as Array<[keyof typeof SCPDS, string]>) {
    describe(key, () => {
      it("is well-formed XML", () => assert.equal(XMLValidator.validate(xml), true));

      it("declares the standard actions, arguments and state variables in order", () => {
        const summary = scpdSummary(xml);
        assert.equal(summary.namespace, "urn:schemas-upnp-org:service-1-0");
        assert.equal(summary.specVersion, "1.0");
        assert.deepEqual(summary.actions, EXPECTED_SCPDS[key].actions);
        assert.deepEqual(summary.stateVariables, EXPECTED_SCPDS[key].stateVariables);
      });

      it("events exactly the variables the service list names for GENA", () => {
        const service = UPNP_SERVICES.find((s) => s.key === key);
        const evented = scpdSummary(xml)
          .stateVariables.filter((line) => line.split(" ")[2] === "evented")
          .map((line) => line.split(" ")[0]);
        assert.deepEqual(evented, service?.eventedVariables);
      });

      it("is served at the service's SCPD path", () => {
        const service = UPNP_SERVICES.find((s) => s.key === key);
        assert.equal(UPNP_SCPDS.get(service?.scpdPath ?? ""), xml);
      });
    });
  }

  it("writes the registrar's SCPD exactly", () => {
    assert.equal(
      REGISTRAR_SCPD,
      '<?xml version="1.0" encoding="utf-8"?>\r\n<scpd xmlns="urn:schemas-upnp-org:service-1-0">' +
        "<specVersion><major>1</major><minor>0</minor></specVersion><actionList>" +
        "<action><name>IsAuthorized</name><argumentList>" +
        "<argument><name>DeviceID</name><direction>in</direction><relatedStateVariable>A_ARG_TYPE_DeviceID</relatedStateVariable></argument>" +
        "<argument><name>Result</name><direction>out</direction><relatedStateVariable>A_ARG_TYPE_Result</relatedStateVariable></argument>" +
        "</argumentList></action>" +
        "<action><name>RegisterDevice</name><argumentList>" +
        "<argument><name>RegistrationReqMsg</name><direction>in</direction><relatedStateVariable>A_ARG_TYPE_RegistrationReqMsg</relatedStateVariable></argument>" +
        "<argument><name>RegistrationRespMsg</name><direction>out</direction><relatedStateVariable>A_ARG_TYPE_RegistrationRespMsg</relatedStateVariable></argument>" +
        "</argumentList></action>" +
        "<action><name>IsValidated</name><argumentList>" +
        "<argument><name>DeviceID</name><direction>in</direction><relatedStateVariable>A_ARG_TYPE_DeviceID</relatedStateVariable></argument>" +
        "<argument><name>Result</name><direction>out</direction><relatedStateVariable>A_ARG_TYPE_Result</relatedStateVariable></argument>" +
        "</argumentList></action>" +
        "</actionList><serviceStateTable>" +
        '<stateVariable sendEvents="no"><name>A_ARG_TYPE_DeviceID</name><dataType>string</dataType></stateVariable>' +
        '<stateVariable sendEvents="no"><name>A_ARG_TYPE_Result</name><dataType>int</dataType></stateVariable>' +
        '<stateVariable sendEvents="no"><name>A_ARG_TYPE_RegistrationReqMsg</name><dataType>bin.base64</dataType></stateVariable>' +
        '<stateVariable sendEvents="no"><name>A_ARG_TYPE_RegistrationRespMsg</name><dataType>bin.base64</dataType></stateVariable>' +
        '<stateVariable sendEvents="yes"><name>AuthorizationGrantedUpdateID</name><dataType>ui4</dataType></stateVariable>' +
        '<stateVariable sendEvents="yes"><name>AuthorizationDeniedUpdateID</name><dataType>ui4</dataType></stateVariable>' +
        '<stateVariable sendEvents="yes"><name>ValidationSucceededUpdateID</name><dataType>ui4</dataType></stateVariable>' +
        '<stateVariable sendEvents="yes"><name>ValidationRevokedUpdateID</name><dataType>ui4</dataType></stateVariable>' +
        "</serviceStateTable></scpd>\r\n",
    );
  });

  it("writes an action without arguments without an argumentList, and escapes names", () => {
    const xml = scpdXml({
      actions: [{ name: "X_<Ping>", arguments: [] }],
      stateVariables: [
        { name: "A&B", dataType: "string", sendEvents: false, allowedValues: ['"x"'] },
      ],
    });
    assert.equal(XMLValidator.validate(xml), true);
    assert.match(xml, /<action><name>X_&lt;Ping&gt;<\/name><\/action>/);
    assert.match(
      xml,
      /<name>A&amp;B<\/name><dataType>string<\/dataType><allowedValueList><allowedValue>&quot;x&quot;<\/allowedValue>/,
    );
  });

  it("refuses a spec whose argument names an undeclared state variable", () => {
    assert.throws(
      () =>
        scpdXml({
          actions: [
            {
              name: "A",
              arguments: [{ name: "X", direction: "in", relatedStateVariable: "Nope" }],
            },
          ],
          stateVariables: [],
        }),
      /A\/X: no state variable Nope/,
    );
  });
});
