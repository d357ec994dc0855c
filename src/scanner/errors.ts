/** A problem with how dbguard was called or configured: exit code 2, with a message naming the culprit. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A configuration file is wrong; names the file and the key path, like knip's `ConfigurationError`. */
export class ConfigError extends UsageError {
  override name = 'ConfigError';
  constructor(
    readonly file: string,
    readonly keyPath: string,
    detail: string,
  ) {
    super(`${file}: ${keyPath ? `"${keyPath}" ` : ''}${detail}`);
  }
}
