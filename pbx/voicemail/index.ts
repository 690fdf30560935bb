export {
  createVoicemailSource,
  type ResolvedVoicemailSourceConfig,
  type VoicemailSourceOptions,
} from "./create-voicemail-source.js";
export { extensionsByMailbox } from "./extensions-by-mailbox.js";
export type { ImapLogin } from "./imap-source.js";
export {
  type ClearableVoicemailSource,
  isClearable,
  type MailboxState,
  type MailboxStateListener,
  type VoicemailSource,
} from "./voicemail-source.js";
