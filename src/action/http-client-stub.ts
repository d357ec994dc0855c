// The Action makes no network request: it must work on forks and locked-down runners, with no
// token. `@actions/core` imports its HTTP client only for OIDC tokens (`getIDToken`), which dbguard
// never asks for, so the bundle resolves `@actions/http-client` here and ships no HTTP client at all.
class NoNetwork {
  constructor() {
    throw new Error('the dbguard Action makes no network requests');
  }
}

export { NoNetwork as BearerCredentialHandler, NoNetwork as HttpClient };
