#!/usr/bin/python3
"""Reads a SOAP Browse response on stdin, parses its Result with GUPnP-AV's DIDL-Lite parser
(a real UPnP stack) and prints what GUPnP saw as JSON, one object per DIDL object."""
import json
import sys
import xml.etree.ElementTree as ET

import gi

gi.require_version("GUPnPAV", "1.0")
from gi.repository import GUPnPAV  # noqa: E402


def resource(res):
    info = res.get_protocol_info()
    return {
        "uri": res.get_uri(),
        "protocolInfo": info.to_string(),
        "mime": info.get_mime_type(),
        "profile": info.get_dlna_profile(),
        "operation": int(info.get_dlna_operation()),
        "flags": int(info.get_dlna_flags()),
        "conversion": int(info.get_dlna_conversion()),
        "size": res.get_size64(),
        "duration": res.get_duration(),
        "bitrate": res.get_bitrate(),
        "sampleFreq": res.get_sample_freq(),
        "channels": res.get_audio_channels(),
        "width": res.get_width(),
        "height": res.get_height(),
    }


def describe(obj, kind):
    seen = {
        "kind": kind,
        "id": obj.get_id(),
        "parentId": obj.get_parent_id(),
        "title": obj.get_title(),
        "class": obj.get_upnp_class(),
        "restricted": obj.get_restricted(),
        "creator": obj.get_creator(),
        "artist": obj.get_artist(),
        "album": obj.get_album(),
        "genre": obj.get_genre(),
        "date": obj.get_date(),
        "albumArt": obj.get_album_art(),
        "trackNumber": obj.get_track_number(),
        "resources": [resource(r) for r in obj.get_resources()],
    }
    if kind == "item":
        seen["refId"] = obj.get_ref_id()
    else:
        seen["childCount"] = obj.get_child_count()
    return seen


def main():
    envelope = ET.fromstring(sys.stdin.buffer.read())
    result = next(e for e in envelope.iter() if e.tag.endswith("Result"))
    objects = []
    parser = GUPnPAV.DIDLLiteParser()
    parser.connect("item-available", lambda _p, o: objects.append(describe(o, "item")))
    parser.connect("container-available", lambda _p, o: objects.append(describe(o, "container")))
    parser.parse_didl(result.text)
    json.dump(objects, sys.stdout)


main()
