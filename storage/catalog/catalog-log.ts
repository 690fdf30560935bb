/**
 * The slice of a pino logger the catalog uses, so tests can hand in a recorder. Messages are
 * sentences, object first, as everywhere in hearth.
 */
export interface CatalogLog {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** Used when `Catalog.open` gets no logger. */
export const silentLog: CatalogLog = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
};
