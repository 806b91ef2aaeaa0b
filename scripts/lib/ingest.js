// What the report-* scripts share: one POST to the portal with the team's
// ingest credential, retried with the same body on network errors and 5xx.
// The token goes only into the authorization header, never into a message.

/** POSTs the body, retrying network errors and 5xx; throws on a 4xx. */
async function post(url, token, contentType, body) {
  const delay = Number(process.env.PLATFORM_RETRY_DELAY_MS ?? 500);
  for (let attempt = 1; ; attempt++) {
    let response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': contentType,
          authorization: `Bearer ${token}`,
        },
        body,
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      response = undefined;
      if (attempt >= 4) {
        throw new Error(`the portal could not be reached: ${error.message}`);
      }
    }
    if (response && response.status < 500) {
      const text = await response.text();
      if (!response.ok) {
        let message = text;
        try {
          message = JSON.parse(text).error.message;
        } catch {
          // not JSON: print as it came
        }
        throw new Error(`the portal answered ${response.status}: ${message}`);
      }
      return text;
    }
    if (response && attempt >= 4) {
      throw new Error(
        `the portal answered ${response.status} ${attempt} times`,
      );
    }
    await new Promise(r => setTimeout(r, delay * 2 ** attempt));
  }
}

/** `--flag value` pairs into options named by `flags`; throws on unknown or missing ones. */
function parseArgs(argv, flags, required) {
  const options = {};
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i].replace(/^--/, '');
    if (!flags[flag] || argv[i + 1] === undefined) {
      throw new Error(`unknown or incomplete option ${argv[i]}`);
    }
    options[flags[flag]] = argv[i + 1];
  }
  for (const flag of required) {
    if (!options[flag]) throw new Error(`--${flag} is required`);
  }
  return options;
}

module.exports = { parseArgs, post };
