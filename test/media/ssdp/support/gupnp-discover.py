#!/usr/bin/python3
"""GUPnP 1.6 / GSSDP 1.6 control point on one interface, for tests (inside the namespace).

Usage: /usr/bin/python3 gupnp-discover.py <interface> <UDN> <seconds>

Runs a GUPnP ControlPoint for MediaServer:1 (its own M-SEARCH and NOTIFY handling, then the
device description over HTTP) and a GSSDP ResourceBrowser for ssdp:all. Prints one JSON line per
event, until <seconds> pass or the device with <UDN> came and went:
  {"event": "device", "udn", "deviceType", "location", "friendlyName", "services": [...]}
  {"event": "resource", "usn", "locations": [...]}
  {"event": "device-gone", "udn"}
The test stops the server after the "device" line, then waits for "device-gone" (byebye).
"""
import json
import sys

import gi

gi.require_version("GUPnP", "1.6")
gi.require_version("GSSDP", "1.6")
from gi.repository import GLib, GSSDP, GUPnP  # noqa: E402

interface, udn, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
context = GUPnP.Context.new_full(interface, None, 0, GSSDP.UDAVersion.VERSION_1_0)
control_point = GUPnP.ControlPoint.new(context, "urn:schemas-upnp-org:device:MediaServer:1")
browser = GSSDP.ResourceBrowser.new(context, "ssdp:all")
loop = GLib.MainLoop()


def emit(record):
    print(json.dumps(record), flush=True)


def available(_cp, proxy):
    emit({
        "event": "device",
        "udn": proxy.get_udn(),
        "deviceType": proxy.get_device_type(),
        "location": proxy.get_location(),
        "friendlyName": proxy.get_friendly_name(),
        "services": sorted(s.get_service_type() for s in proxy.list_services()),
    })


def unavailable(_cp, proxy):
    emit({"event": "device-gone", "udn": proxy.get_udn()})
    if proxy.get_udn() == udn:
        loop.quit()


def resource(_browser, usn, locations):
    if usn.startswith(udn):
        emit({"event": "resource", "usn": usn, "locations": list(locations)})


control_point.connect("device-proxy-available", available)
control_point.connect("device-proxy-unavailable", unavailable)
browser.connect("resource-available", resource)
control_point.set_active(True)
browser.set_active(True)
print("ready", flush=True)
GLib.timeout_add(int(seconds * 1000), loop.quit)
loop.run()
