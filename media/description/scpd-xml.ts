import { xmlEscape } from "../soap/index.js";

/** One argument of an action, as UDA 1.0 §2.3 lists it. */
export interface ScpdArgument {
  name: string;
  direction: "in" | "out";
  relatedStateVariable: string;
}

export interface ScpdAction {
  name: string;
  arguments: readonly ScpdArgument[];
}

/** A UDA 1.0 data type as SCPDs spell it. */
export type ScpdDataType = "string" | "ui4" | "i4" | "int" | "boolean" | "bin.base64" | "uri";

export interface ScpdStateVariable {
  name: string;
  dataType: ScpdDataType;
  sendEvents: boolean;
  allowedValues?: readonly string[];
}

/** A service's actions and state table: the source its SCPD document is written from. */
export interface ScpdSpec {
  actions: readonly ScpdAction[];
  stateVariables: readonly ScpdStateVariable[];
}

const inArg = (name: string, relatedStateVariable: string): ScpdArgument => ({
  name,
  direction: "in",
  relatedStateVariable,
});
const outArg = (name: string, relatedStateVariable: string): ScpdArgument => ({
  name,
  direction: "out",
  relatedStateVariable,
});

/** Shorthands for writing specs: `arg.in("ObjectID", "A_ARG_TYPE_ObjectID")`. */
export const arg = { in: inArg, out: outArg };

/**
 * The SCPD document of `spec` (UDA 1.0 §2.3). Throws on a spec whose argument names a state
 * variable it does not declare: specs are constants, so that is a bug caught by the tests.
 */
export function scpdXml(spec: ScpdSpec): string {
  const declared = new Set(spec.stateVariables.map((v) => v.name));
  let xml =
    '<?xml version="1.0" encoding="utf-8"?>\r\n<scpd xmlns="urn:schemas-upnp-org:service-1-0">' +
    "<specVersion><major>1</major><minor>0</minor></specVersion><actionList>";
  for (const action of spec.actions) {
    xml += `<action><name>${xmlEscape(action.name)}</name>`;
    if (action.arguments.length > 0) xml += "<argumentList>";
    for (const a of action.arguments) {
      if (!declared.has(a.relatedStateVariable))
        throw new Error(`${action.name}/${a.name}: no state variable ${a.relatedStateVariable}`);
      xml +=
        `<argument><name>${xmlEscape(a.name)}</name><direction>${a.direction}</direction>` +
        `<relatedStateVariable>${xmlEscape(a.relatedStateVariable)}</relatedStateVariable></argument>`;
    }
    if (action.arguments.length > 0) xml += "</argumentList>";
    xml += "</action>";
  }
  xml += "</actionList><serviceStateTable>";
  for (const v of spec.stateVariables) xml += stateVariableXml(v);
  return `${xml}</serviceStateTable></scpd>\r\n`;
}

function stateVariableXml(v: ScpdStateVariable): string {
  let xml =
    `<stateVariable sendEvents="${v.sendEvents ? "yes" : "no"}">` +
    `<name>${xmlEscape(v.name)}</name><dataType>${v.dataType}</dataType>`;
  if (v.allowedValues !== undefined) {
    xml += "<allowedValueList>";
    for (const value of v.allowedValues) xml += `<allowedValue>${xmlEscape(value)}</allowedValue>`;
    xml += "</allowedValueList>";
  }
  return `${xml}</stateVariable>`;
}
