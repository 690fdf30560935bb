"""A real GUPnP 1.6 control point subscribing to a ContentDirectory's events over loopback.

Usage: /usr/bin/python3 gupnp-subscriber.py <device description URL>
Prints one JSON object per line: {"ready": ...} once subscribed, {"variable": ..., "value": ...}
for each evented value GUPnP hands over, {"lost": ...} if GUPnP gives the subscription up.
Reads commands on stdin: "unsubscribe", "quit".

Discovery is skipped, not faked on the network: GUPnP's ControlPoint is a GSSDP ResourceBrowser,
and its "resource-available" signal (usn, GList of locations) is what SSDP would have raised.
PyGObject cannot build a GList for a gpointer signal argument, so the list is made with
ctypes and handed over as a capsule. From there on GUPnP does everything itself: fetches the
description, builds the ServiceProxy, runs its own event server on lo and sends SUBSCRIBE.
"""

import ctypes
import json
import sys

import gi

gi.require_version("GUPnP", "1.6")
gi.require_version("GSSDP", "1.6")
from gi.repository import GLib, GObject, GUPnP  # noqa: E402

CDS = "urn:schemas-upnp-org:service:ContentDirectory:1"
UDN = "uuid:5f9ec1b2-4a5d-4c9e-9c1e-3b2a1d0c9e8f"


def say(**fields):
    print(json.dumps(fields), flush=True)


def glist_of_strings(strings):
    glib = ctypes.CDLL("libglib-2.0.so.0")
    glib.g_list_append.restype = ctypes.c_void_p
    glib.g_list_append.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    glib.g_strdup.restype = ctypes.c_void_p
    glib.g_strdup.argtypes = [ctypes.c_char_p]
    head = None
    for text in strings:
        head = glib.g_list_append(head, glib.g_strdup(text.encode()))
    capsule = ctypes.pythonapi.PyCapsule_New
    capsule.restype = ctypes.py_object
    capsule.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]
    return capsule(head, None, None)


def main(location):
    loop = GLib.MainLoop()
    context = GUPnP.Context.new_full("lo", None, 0, 0)
    control_point = GUPnP.ControlPoint.new(context, CDS)
    proxies = []

    def on_value(_proxy, variable, value):
        say(variable=variable, value=value)

    def on_proxy(_cp, proxy):
        proxies.append(proxy)
        proxy.add_notify("SystemUpdateID", GObject.TYPE_UINT, on_value)
        proxy.add_notify("ContainerUpdateIDs", GObject.TYPE_STRING, on_value)
        proxy.connect("subscription-lost", lambda _p, error: say(lost=str(error)))
        proxy.set_subscribed(True)
        say(ready=proxy.get_event_subscription_url())

    def on_command(channel, _condition):
        line = channel.readline().strip()
        if line == "unsubscribe":
            for proxy in proxies:
                proxy.set_subscribed(False)
            say(unsubscribed=True)
            return True
        loop.quit()
        return False

    control_point.connect("service-proxy-available", on_proxy)
    control_point.set_active(True)
    control_point.emit("resource-available", f"{UDN}::{CDS}", glist_of_strings([location]))
    GLib.io_add_watch(GLib.IOChannel.unix_new(sys.stdin.fileno()), GLib.IO_IN | GLib.IO_HUP, on_command)
    GLib.timeout_add_seconds(60, loop.quit)
    loop.run()


if __name__ == "__main__":
    main(sys.argv[1])
