/*
 * Shared parts of the backup jobs: options, the S3-compatible bucket (AWS SDK
 * v3: AWS S3, Cloudflare R2, Wasabi, Hetzner, MinIO), running a command, and
 * the report to the portal (POST /api/backup-status/v1/runs), retried with
 * one idempotency key so a retried job never counts twice.
 */
const { spawn } = require('node:child_process');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const {
  S3Client,
  PutObjectCommand,
  ListObjectsV2Command,
  GetObjectCommand,
} = require('@aws-sdk/client-s3');

/** `--name value` options of `known`; those of `flags` take no value. */
function parseArgs(argv, known, flags = ['strict-counts']) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '');
    if (!known.includes(name)) throw new Error(`unknown option ${argv[i]}`);
    const flag = flags.includes(name);
    options[name] = flag ? true : argv[++i];
    if (!flag && options[name] === undefined) {
      throw new Error(`option ${argv[i - 1]} needs a value`);
    }
  }
  return options;
}

function required(value, name) {
  if (!value) throw new Error(`${name} is required`);
  return value;
}

/** The bucket from S3_* variables (and AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY). */
function bucketFromEnv(env = process.env) {
  const client = new S3Client({
    region: env.S3_REGION ?? 'us-east-1',
    endpoint: env.S3_ENDPOINT || undefined,
    forcePathStyle: Boolean(env.S3_ENDPOINT),
    // S3-compatible servers (MinIO, R2, s3rver) do not all take the SDK's
    // default streaming checksums; send them only where S3 requires them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return { client, bucket: required(env.S3_BUCKET, 'S3_BUCKET') };
}

function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...options,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => (stdout += d));
    child.stderr.on('data', d => (stderr += d));
    child.on('error', reject);
    child.on('close', code =>
      code === 0
        ? resolve(stdout)
        : reject(
            new Error(
              `${command} exited with ${code}: ${stderr.trim().slice(0, 500)}`,
            ),
          ),
    );
  });
}

async function sha256File(file) {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk);
  return hash.digest('hex');
}

async function upload({ client, bucket }, key, file) {
  await client.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: fs.createReadStream(file),
      ContentLength: fs.statSync(file).size,
    }),
  );
  return `s3://${bucket}/${key}`;
}

/** The newest object under a prefix (by LastModified), or undefined. */
async function newestObject({ client, bucket }, prefix) {
  let newest;
  let token;
  do {
    const page = await client.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        ContinuationToken: token,
      }),
    );
    for (const object of page.Contents ?? []) {
      if (!newest || object.LastModified > newest.LastModified) newest = object;
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return newest;
}

async function download({ client, bucket }, key, file) {
  const object = await client.send(
    new GetObjectCommand({ Bucket: bucket, Key: key }),
  );
  await new Promise((resolve, reject) => {
    const out = fs.createWriteStream(file);
    object.Body.pipe(out);
    out.on('finish', resolve);
    out.on('error', reject);
    object.Body.on('error', reject);
  });
}

/** POSTs one run report; retries network errors and 5xx with the same key. */
async function report(run, env = process.env) {
  const base = required(env.PLATFORM_URL, 'PLATFORM_URL').replace(/\/$/, '');
  const token = required(env.PLATFORM_INGEST_TOKEN, 'PLATFORM_INGEST_TOKEN');
  for (let attempt = 1; ; attempt++) {
    let response;
    try {
      response = await fetch(`${base}/api/backup-status/v1/runs`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(run),
      });
    } catch (error) {
      if (attempt >= 5) throw error;
    }
    if (response) {
      const text = await response.text();
      if (response.ok) return JSON.parse(text);
      if (response.status < 500 && response.status !== 429) {
        throw new Error(
          `the portal refused the report (${response.status}): ${text}`,
        );
      }
      if (attempt >= 5)
        throw new Error(`the portal answered ${response.status}: ${text}`);
    }
    await new Promise(r => setTimeout(r, 1000 * 2 ** attempt));
  }
}

function timestampKey(date) {
  return date.toISOString().replace(/[:.]/g, '-');
}

module.exports = {
  parseArgs,
  required,
  bucketFromEnv,
  run,
  sha256File,
  upload,
  newestObject,
  download,
  report,
  timestampKey,
};
