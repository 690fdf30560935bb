import { fixedIds } from "../library/index.js";
import type { SoapAction } from "../soap/index.js";

/**
 * X_GetFeatureList's FeatureList: Samsung TVs and Blu-ray players (AllShare) ask for it to find
 * the containers of their "basic view" per media type; without an answer some of them show no
 * content at all. The value is a document of its own, escaped as the out-argument's text.
 */
export const SAMSUNG_FEATURE_LIST =
  '<?xml version="1.0" encoding="UTF-8"?>' +
  '<Features xmlns="urn:schemas-upnp-org:av:avs" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' +
  ' xsi:schemaLocation="urn:schemas-upnp-org:av:avs http://www.upnp.org/schemas/av/avs.xsd">' +
  '<Feature name="samsung.com_BASICVIEW" version="1">' +
  `<container id="${fixedIds.music}" type="object.item.audioItem"/>` +
  `<container id="${fixedIds.videos}" type="object.item.videoItem"/>` +
  `<container id="${fixedIds.pictures}" type="object.item.imageItem"/>` +
  "</Feature></Features>";

/** X_GetFeatureList → FeatureList. */
export const getFeatureList: SoapAction = () => [["FeatureList", SAMSUNG_FEATURE_LIST]];

/**
 * X_SetBookmark (CategoryType, RID, ObjectID, PosSecond → nothing): a Samsung TV reports where
 * playback stopped. hearth keeps no resume positions (that would write to the catalog during
 * playback), so the report is accepted and forgotten: the TV gets a success, not a fault.
 */
export const setBookmark: SoapAction = () => [];
