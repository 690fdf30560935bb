#!/usr/bin/python3
"""Reads a UPnP device the way a GUPnP 1.6 control point does and prints what it found as JSON.

Usage: /usr/bin/python3 gupnp-introspect.py <description URL> [<calls as JSON>]
  calls: [{"serviceType": "...", "action": "...", "in": {"Name": "value"}, "out": ["Name"]}]
  Each is sent with GUPnP's own SOAP client (ServiceProxy.call_action); the result is reported
  as {"out": {...}} or {"error": {"code": n, "message": "..."}}.

There is no SSDP here (tests send nothing but loopback unicast), so the step GUPnP's
ControlPoint takes after an SSDP hit is done by hand: fetch the description, parse it into a
GUPnP.XMLDoc and build the GUPnP.DeviceProxy from it, as gupnp_control_point's
resource factory does. GUPnP keeps the <device> element as a private pointer property that
Python cannot name, so it is found with libxml2 through ctypes. From there on everything is
GUPnP's own code: the DeviceInfo getters, list_services/list_icons, and
ServiceProxy.introspect_async, which fetches each SCPDURL over HTTP and parses it.
"""
import ctypes
import json
import sys
import tempfile
import urllib.request

import gi

gi.require_version("GUPnP", "1.6")
gi.require_version("GSSDP", "1.6")
from gi.repository import GLib, GObject, GSSDP, GUPnP  # noqa: E402

libxml2 = ctypes.CDLL("libxml2.so.2")
libgupnp = ctypes.CDLL("libgupnp-1.6.so.0")
libxml2.xmlDocGetRootElement.restype = ctypes.c_void_p
libxml2.xmlDocGetRootElement.argtypes = [ctypes.c_void_p]
libxml2.xmlFirstElementChild.restype = ctypes.c_void_p
libxml2.xmlFirstElementChild.argtypes = [ctypes.c_void_p]
libxml2.xmlNextElementSibling.restype = ctypes.c_void_p
libxml2.xmlNextElementSibling.argtypes = [ctypes.c_void_p]
libgupnp.gupnp_xml_doc_get_doc.restype = ctypes.c_void_p
libgupnp.gupnp_xml_doc_get_doc.argtypes = [ctypes.c_void_p]
capsule_pointer = ctypes.pythonapi.PyCapsule_GetPointer
capsule_pointer.restype = ctypes.c_void_p
capsule_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
capsule_new = ctypes.pythonapi.PyCapsule_New
capsule_new.restype = ctypes.py_object
capsule_new.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]


class XmlNode(ctypes.Structure):
    # The head of libxml2's struct _xmlNode: enough to read an element's name.
    _fields_ = [("private", ctypes.c_void_p), ("type", ctypes.c_int), ("name", ctypes.c_char_p)]


def device_element(xml_doc):
    """The <device> child of <root>, as GUPnP's control point finds it."""
    doc = libgupnp.gupnp_xml_doc_get_doc(capsule_pointer(xml_doc.__gpointer__, None))
    child = libxml2.xmlFirstElementChild(libxml2.xmlDocGetRootElement(doc))
    while child:
        if XmlNode.from_address(child).name == b"device":
            return child
        child = libxml2.xmlNextElementSibling(child)
    raise SystemExit("no <device> element under <root>")


def device_proxy(context, location):
    with urllib.request.urlopen(location, timeout=10) as response:
        body = response.read()
        content_type = response.headers.get("content-type")
    with tempfile.NamedTemporaryFile(suffix=".xml") as file:
        file.write(body)
        file.flush()
        xml_doc = GUPnP.XMLDoc.new_from_path(file.name)
    element = device_element(xml_doc)
    proxy = GObject.new(
        GUPnP.DeviceProxy,
        resource_factory=GUPnP.ResourceFactory.get_default(),
        context=context,
        location=location,
        url_base=GLib.Uri.parse(location, GLib.UriFlags.NONE),
        document=xml_doc,
        element=capsule_new(element, None, None),
    )
    return proxy, content_type


def introspect(service, loop):
    found = {}

    def done(proxy, result):
        try:
            found["introspection"] = proxy.introspect_finish(result)
        except GLib.Error as error:
            found["error"] = error.message
        loop.quit()

    service.introspect_async(None, done)
    GLib.timeout_add_seconds(15, loop.quit)
    loop.run()
    if "introspection" not in found:
        raise SystemExit(f"introspection of {service.get_service_type()} failed: {found.get('error', 'timeout')}")
    return found["introspection"]


def describe_service(service, loop):
    intro = introspect(service, loop)
    actions = []
    for name in intro.list_action_names():
        action = intro.get_action(name)
        actions.append({
            "name": action.name,
            "arguments": [
                {"name": a.name, "direction": "in" if a.direction == GUPnP.ServiceActionArgDirection.IN else "out",
                 "relatedStateVariable": a.related_state_variable}
                for a in action.arguments
            ],
        })
    variables = []
    for name in intro.list_state_variable_names():
        v = intro.get_state_variable(name)
        variables.append({
            "name": v.name,
            "type": GObject.type_name(v.type),
            "sendEvents": bool(v.send_events),
            "allowedValues": list(v.allowed_values or []),
        })
    return {
        "serviceType": service.get_service_type(),
        "id": service.get_id(),
        "scpdUrl": service.get_scpd_url(),
        "controlUrl": service.get_control_url(),
        "eventSubscriptionUrl": service.get_event_subscription_url(),
        "actions": actions,
        "stateVariables": variables,
    }


def call(services, spec):
    service = next(s for s in services if s.get_service_type() == spec["serviceType"])
    names = list(spec.get("in", {}).keys())
    values = []
    for name in names:
        value = GObject.Value(GObject.TYPE_STRING)
        value.set_string(str(spec["in"][name]))
        values.append(value)
    action = GUPnP.ServiceProxyAction.new_from_list(spec["action"], names, values)
    try:
        service.call_action(action, None)
        out_names = spec.get("out", [])
        _, out_values = action.get_result_list(out_names, [GObject.TYPE_STRING] * len(out_names))
        return {"out": dict(zip(out_names, out_values))}
    except GLib.Error as error:
        return {"error": {"code": error.code, "message": error.message}}


def main():
    location = sys.argv[1]
    calls = json.loads(sys.argv[2]) if len(sys.argv) > 2 else []
    context = GUPnP.Context.new_full("lo", None, 0, GSSDP.UDAVersion.VERSION_1_0)
    proxy, content_type = device_proxy(context, location)
    loop = GLib.MainLoop()
    services = proxy.list_services()
    icon_url, mime, depth, width, height = proxy.get_icon_url(None, -1, -1, -1, True)
    report = {
        "contentType": content_type,
        "deviceType": proxy.get_device_type(),
        "udn": proxy.get_udn(),
        "friendlyName": proxy.get_friendly_name(),
        "manufacturer": proxy.get_manufacturer(),
        "modelName": proxy.get_model_name(),
        "modelNumber": proxy.get_model_number(),
        "serialNumber": proxy.get_serial_number(),
        "presentationUrl": proxy.get_presentation_url(),
        "dlnaCapabilities": proxy.list_dlna_device_class_identifier(),
        "largestIcon": {"url": icon_url, "mime": mime, "depth": depth, "width": width, "height": height},
        "services": [describe_service(s, loop) for s in services],
        "calls": [call(services, spec) for spec in calls],
    }
    print(json.dumps(report, indent=1))


main()
