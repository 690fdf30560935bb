export {
  MwiNotifier,
  type LampOverride,
  type MwiExtension,
  type MwiExtensionStatus,
  type MwiMode,
  type MwiNotifierDeps,
  type MwiNotifierOptions,
} from "./mwi-notifier.js";
export type { NotifyResult } from "./notify-result.js";
export { messageSummaryBody } from "./message-summary.js";
