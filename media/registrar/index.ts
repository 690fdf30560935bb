// X_MS_MediaReceiverRegistrar:1 for Xbox 360 and Windows Media Player: everyone is authorized.
export {
  mediaReceiverRegistrar,
  MEDIA_RECEIVER_REGISTRAR_STATE,
} from "./media-receiver-registrar.js";
