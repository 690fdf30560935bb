#!/usr/bin/python3
"""A GUPnP 1.6 control point that finds a MediaServer by SSDP and walks its whole tree.

Usage: /usr/bin/python3 gupnp-walk.py <interface> <UDN> [<search criteria>]

Discovery is GUPnP's own (ControlPoint on <interface>: M-SEARCH, then the description and SCPD
over HTTP); Browse and Search go through GUPnP's ServiceProxy; DIDL-Lite is read by GUPnP-AV's
parser. Every container is browsed with BrowseDirectChildren in pages of 50. Prints JSON:
what a player would have listed, and every inconsistency it met.
"""
import json
import sys

import gi

gi.require_version("GUPnP", "1.6")
gi.require_version("GSSDP", "1.6")
gi.require_version("GUPnPAV", "1.0")
from gi.repository import GLib, GObject, GSSDP, GUPnP, GUPnPAV  # noqa: E402

CDS = "urn:schemas-upnp-org:service:ContentDirectory:1"
PAGE = 50


def discover(interface, udn):
    context = GUPnP.Context.new_full(interface, None, 0, GSSDP.UDAVersion.VERSION_1_0)
    control_point = GUPnP.ControlPoint.new(context, "urn:schemas-upnp-org:device:MediaServer:1")
    loop = GLib.MainLoop()
    found = {}

    def available(_cp, proxy):
        if proxy.get_udn() == udn:
            found["proxy"] = proxy
            loop.quit()

    control_point.connect("device-proxy-available", available)
    control_point.set_active(True)
    GLib.timeout_add_seconds(20, loop.quit)
    loop.run()
    if "proxy" not in found:
        raise SystemExit(json.dumps({"error": f"no MediaServer {udn} found by SSDP on {interface}"}))
    return control_point, found["proxy"]


def call(service, action, args, out):
    names = list(args.keys())
    values = []
    for name in names:
        value = GObject.Value(GObject.TYPE_STRING)
        value.set_string(str(args[name]))
        values.append(value)
    proxy_action = GUPnP.ServiceProxyAction.new_from_list(action, names, values)
    service.call_action(proxy_action, None)
    _, result = proxy_action.get_result_list(out, [GObject.TYPE_STRING] * len(out))
    return dict(zip(out, result))


def parse(didl):
    containers, items = [], []
    parser = GUPnPAV.DIDLLiteParser()
    parser.connect("container-available", lambda _p, c: containers.append(
        {"id": c.get_id(), "childCount": c.get_child_count(), "title": c.get_title()}))
    parser.connect("item-available", lambda _p, i: items.append(
        {"id": i.get_id(), "refId": i.get_ref_id(), "class": i.get_upnp_class(),
         "res": [r.get_uri() for r in i.get_resources()]}))
    parser.parse_didl(didl)
    return containers, items


def browse_all(service, container_id, report):
    start, total = 0, None
    while total is None or start < total:
        out = call(service, "Browse", {
            "ObjectID": container_id, "BrowseFlag": "BrowseDirectChildren", "Filter": "*",
            "StartingIndex": start, "RequestedCount": PAGE, "SortCriteria": ""},
            ["Result", "NumberReturned", "TotalMatches", "UpdateID"])
        total = int(out["TotalMatches"])
        returned = int(out["NumberReturned"])
        containers, items = parse(out["Result"])
        report["requests"] += 1
        if returned != len(containers) + len(items):
            report["problems"].append(f"{container_id}@{start}: NumberReturned {returned} vs {len(containers) + len(items)} in Result")
        if returned == 0 and start < total:
            report["problems"].append(f"{container_id}@{start}: empty page before TotalMatches {total}")
            return total
        for item in items:
            report["entries"] += 1
            report["items"][item["class"]] = report["items"].get(item["class"], 0) + 1
            report["unique"].add(item["refId"] or item["id"])
            if not item["res"]:
                report["problems"].append(f"item {item['id']} has no res")
        for container in containers:
            report["entries"] += 1
            report["containers"] += 1
            children = browse_all(service, container["id"], report)
            if container["childCount"] != children:
                report["problems"].append(f"{container['id']}: childCount {container['childCount']} but {children} children")
        start += returned
    return total


def main():
    interface, udn = sys.argv[1], sys.argv[2]
    criteria = sys.argv[3] if len(sys.argv) > 3 else None
    _cp, device = discover(interface, udn)
    service = device.get_service(CDS)
    report = {"udn": device.get_udn(), "friendlyName": device.get_friendly_name(),
              "location": device.get_location(), "containers": 0, "entries": 0, "requests": 0,
              "items": {}, "unique": set(), "problems": []}
    browse_all(service, "0", report)
    report["unique"] = len(report["unique"])
    if criteria is not None:
        out = call(service, "Search", {
            "ContainerID": "0", "SearchCriteria": criteria, "Filter": "*",
            "StartingIndex": 0, "RequestedCount": 0, "SortCriteria": ""},
            ["Result", "NumberReturned", "TotalMatches", "UpdateID"])
        report["search"] = {"totalMatches": int(out["TotalMatches"]),
                            "numberReturned": int(out["NumberReturned"])}
    print(json.dumps(report))


main()
