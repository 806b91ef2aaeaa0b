/**
 * Renders the Terraform (HCL that OpenTofu also accepts) of the resources a
 * service asks for, one root module per environment under
 * `<root>/<environment>/<name>/`, each with its own state key.
 *
 * No secret value is ever written: passwords come from `random_password`
 * and go straight into a Kubernetes Secret in the service's namespace;
 * provider credentials come from the environment of whoever runs `apply`
 * (PGHOST/PGUSER/PGPASSWORD, AWS_*, CLOUDFLARE_API_TOKEN, KUBE_CONFIG_PATH,
 * REDISCLI_AUTH).
 */
import { SubnetCheck } from './networkPlan';

/** @public */
export type InfraRequest = {
  name: string;
  system?: string;
  owner?: string;
  environments: string[];
  postgres?: { database: string; connectionLimit: number };
  redis?: { keyPrefix: string };
  bucket?: { corsOrigins: string[]; retentionDays: number };
  dns?: {
    zone: string;
    /** Record name per environment, e.g. `quote.staging` and `quote`. */
    records: Record<string, string>;
    type: 'A' | 'AAAA' | 'CNAME';
    target: string;
    proxied: boolean;
  };
  namespace: boolean;
  subnet?: SubnetCheck & { availabilityZone: string };
};

/** What one environment's module creates, for the pull request's summary. */
export type PlannedResource = {
  environment: string;
  address: string;
  description: string;
};

/** An HCL string literal; `${` and `%{` are escaped so nothing interpolates. */
export function hclString(value: string): string {
  return JSON.stringify(value).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
}

function hclList(values: string[]): string {
  return `[${values.map(hclString).join(', ')}]`;
}

function labels(request: InfraRequest, environment: string) {
  return {
    'app.kubernetes.io/name': request.name,
    'app.kubernetes.io/managed-by': 'terraform',
    'platform-portal.dev/environment': environment,
    ...(request.system ? { 'platform-portal.dev/system': request.system } : {}),
    ...(request.owner ? { 'platform-portal.dev/owner': request.owner } : {}),
  };
}

function hclMap(map: Record<string, string>, indent: string): string {
  const width = Math.max(...Object.keys(map).map(k => k.length + 2));
  const lines = Object.entries(map).map(
    ([key, value]) =>
      `${indent}  ${hclString(key).padEnd(width)} = ${hclString(value)}`,
  );
  return `{\n${lines.join('\n')}\n${indent}}`;
}

/** The namespace a service runs in, in one environment. */
export function namespaceName(
  request: { name: string; system?: string },
  environment: string,
): string {
  return `${request.system ?? request.name}-${environment}`;
}

/** A Postgres identifier: the name with `-` as `_`. */
export function sqlName(name: string): string {
  return name.replace(/-/g, '_');
}

function versionsTf(request: InfraRequest, environment: string): string {
  const providers: string[] = [
    `    random = {\n      source  = "hashicorp/random"\n      version = "~> 3.6"\n    }`,
  ];
  if (request.postgres) {
    providers.push(
      `    postgresql = {\n      source  = "cyrilgdn/postgresql"\n      version = "~> 1.22"\n    }`,
    );
  }
  if (request.bucket || request.subnet) {
    providers.push(
      `    aws = {\n      source  = "hashicorp/aws"\n      version = "~> 5.0"\n    }`,
    );
  }
  if (request.dns) {
    providers.push(
      `    cloudflare = {\n      source  = "cloudflare/cloudflare"\n      version = "~> 4.0"\n    }`,
    );
  }
  providers.push(
    `    kubernetes = {\n      source  = "hashicorp/kubernetes"\n      version = "~> 2.31"\n    }`,
  );
  return `# Rendered by platform:infra:render for ${
    request.name
  } in ${environment}.
# Provider credentials come from the environment of whoever runs apply;
# nothing secret is stored in this repository.
terraform {
  required_version = ">= 1.6"

  required_providers {
${providers.join('\n')}
  }

  # State in the S3-compatible bucket of the estate; bucket and endpoint
  # come from -backend-config (see infra/README.md).
  backend "s3" {
    key = ${hclString(`${environment}/${request.name}.tfstate`)}
  }
}
${
  request.bucket
    ? `
provider "aws" {
  # S3-compatible storage (Hetzner, Wasabi, R2, MinIO): set AWS_ENDPOINT_URL_S3.
  region                      = var.s3_region
  skip_credentials_validation = true
  skip_requesting_account_id  = true
}
`
    : ''
}
locals {
  labels = ${hclMap(labels(request, environment), '  ')}
}
`;
}

function variablesTf(request: InfraRequest, environment: string): string {
  const blocks = [
    `variable "namespace" {
  description = "Kubernetes namespace of ${request.name} in ${environment}."
  type        = string
  default     = ${hclString(namespaceName(request, environment))}
}`,
  ];
  if (request.bucket) {
    blocks.push(`variable "s3_region" {
  description = "Region of the S3-compatible storage."
  type        = string
  default     = "eu-central"
}`);
  }
  if (request.redis) {
    blocks.push(`variable "redis_host" {
  description = "Host of the shared Redis; the admin password is read from REDISCLI_AUTH."
  type        = string
  default     = "redis"
}`);
  }
  if (request.dns) {
    blocks.push(`variable "cloudflare_zone_id" {
  description = "Cloudflare zone id of ${request.dns.zone}."
  type        = string
}`);
  }
  if (request.subnet) {
    blocks.push(`variable "vpc_id" {
  description = "The VPC of the network plan (10.0.0.0/13)."
  type        = string
}`);
  }
  return `${blocks.join('\n\n')}\n`;
}

function namespaceTf(): string {
  return `resource "kubernetes_namespace" "this" {
  metadata {
    name   = var.namespace
    labels = local.labels
  }
}
`;
}

function dependsOnNamespace(request: InfraRequest): string {
  return request.namespace
    ? '\n  depends_on = [kubernetes_namespace.this]\n'
    : '';
}

function postgresTf(request: InfraRequest, environment: string): string {
  const { database, connectionLimit } = request.postgres!;
  const db = sqlName(`${database}_${environment}`);
  return `# A database and its owner role on the shared PostgreSQL server.
resource "random_password" "postgres" {
  length  = 32
  special = false
}

resource "postgresql_role" "app" {
  name             = ${hclString(db)}
  login            = true
  password         = random_password.postgres.result
  connection_limit = ${connectionLimit}
}

resource "postgresql_database" "app" {
  name              = ${hclString(db)}
  owner             = postgresql_role.app.name
  connection_limit  = ${connectionLimit}
  allow_connections = true
}

# The application reads its credentials from this Secret, never from git.
resource "kubernetes_secret" "postgres" {
  metadata {
    name      = ${hclString(`${request.name}-postgres`)}
    namespace = var.namespace
    labels    = local.labels
  }
  data = {
    PGDATABASE = postgresql_database.app.name
    PGUSER     = postgresql_role.app.name
    PGPASSWORD = random_password.postgres.result
  }${dependsOnNamespace(request)}}
`;
}

function redisTf(request: InfraRequest, environment: string): string {
  const user = `${request.name}-${environment}`;
  const prefix = `${request.redis!.keyPrefix}:*`;
  return `# A Redis ACL user limited to its key prefix on the shared Redis.
resource "random_password" "redis" {
  length  = 32
  special = false
}

resource "terraform_data" "redis_acl_user" {
  triggers_replace = [random_password.redis.result]

  provisioner "local-exec" {
    # The admin password is REDISCLI_AUTH in the environment of apply; the
    # user's password reaches redis-cli through the environment only.
    command = "redis-cli -h \\"$REDIS_HOST\\" ACL SETUSER \\"$REDIS_USER\\" reset on \\">$REDIS_USER_PASSWORD\\" \\"~$REDIS_KEYS\\" +@read +@write -@dangerous"
    environment = {
      REDIS_HOST          = var.redis_host
      REDIS_USER          = ${hclString(user)}
      REDIS_KEYS          = ${hclString(prefix)}
      REDIS_USER_PASSWORD = random_password.redis.result
    }
  }
}

resource "kubernetes_secret" "redis" {
  metadata {
    name      = ${hclString(`${request.name}-redis`)}
    namespace = var.namespace
    labels    = local.labels
  }
  data = {
    REDIS_USERNAME   = ${hclString(user)}
    REDIS_PASSWORD   = random_password.redis.result
    REDIS_KEY_PREFIX = ${hclString(`${request.redis!.keyPrefix}:`)}
  }${dependsOnNamespace(request)}}
`;
}

function bucketTf(request: InfraRequest, environment: string): string {
  const { corsOrigins, retentionDays } = request.bucket!;
  const cors = corsOrigins.length
    ? `
resource "aws_s3_bucket_cors_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  cors_rule {
    allowed_methods = ["GET", "PUT", "POST", "HEAD"]
    allowed_origins = ${hclList(corsOrigins)}
    allowed_headers = ["*"]
    expose_headers  = ["ETag"]
    max_age_seconds = 3600
  }
}
`
    : '';
  return `# An S3-compatible bucket with CORS and a lifecycle rule matching the backup retention.
resource "aws_s3_bucket" "this" {
  bucket = ${hclString(`${request.name}-${environment}`)}
  tags   = local.labels
}
${cors}
resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    id     = "retention"
    status = "Enabled"

    filter {}

    expiration {
      days = ${retentionDays}
    }

    noncurrent_version_expiration {
      noncurrent_days = ${retentionDays}
    }
  }
}
`;
}

function dnsTf(request: InfraRequest, environment: string): string {
  const dns = request.dns!;
  return `# DNS record of ${
    request.name
  } in ${environment}; TLS comes from cert-manager (Let's Encrypt).
resource "cloudflare_record" "this" {
  zone_id = var.cloudflare_zone_id
  name    = ${hclString(dns.records[environment])}
  type    = ${hclString(dns.type)}
  content = ${hclString(dns.target)}
  proxied = ${dns.proxied}
  ttl     = 1
}
`;
}

function subnetTf(request: InfraRequest): string {
  const subnet = request.subnet!;
  return `# ${subnet.cidr} in the ${subnet.tier} tier: ${
    subnet.usableAddresses
  } usable addresses
# (${subnet.firstUsable} to ${subnet.lastUsable}; 5 reserved).
resource "aws_subnet" "this" {
  vpc_id            = var.vpc_id
  cidr_block        = ${hclString(subnet.cidr)}
  availability_zone = ${hclString(subnet.availabilityZone)}
  tags              = merge(local.labels, { "platform-portal.dev/tier" = ${hclString(
    subnet.tier,
  )} })
}
`;
}

function outputsTf(request: InfraRequest): string {
  const outputs: string[] = [];
  if (request.postgres) {
    outputs.push(`output "postgres_database" {
  value = postgresql_database.app.name
}

output "postgres_secret" {
  description = "Kubernetes Secret holding the credentials."
  value       = kubernetes_secret.postgres.metadata[0].name
}`);
  }
  if (request.redis) {
    outputs.push(`output "redis_secret" {
  value = kubernetes_secret.redis.metadata[0].name
}`);
  }
  if (request.bucket) {
    outputs.push(`output "bucket" {
  value = aws_s3_bucket.this.bucket
}`);
  }
  if (request.dns) {
    outputs.push(`output "hostname" {
  value = cloudflare_record.this.hostname
}`);
  }
  if (request.subnet) {
    outputs.push(`output "subnet_id" {
  value = aws_subnet.this.id
}`);
  }
  return outputs.length ? `${outputs.join('\n\n')}\n` : '';
}

/**
 * The files of every environment's module, by path relative to `root`, and
 * the resources each creates.
 */
export function renderTerraform(
  request: InfraRequest,
  root: string,
): { files: Record<string, string>; resources: PlannedResource[] } {
  const files: Record<string, string> = {};
  const resources: PlannedResource[] = [];
  for (const environment of request.environments) {
    const dir = `${root}/${environment}/${request.name}`;
    const add = (address: string, description: string) =>
      resources.push({ environment, address, description });

    files[`${dir}/versions.tf`] = versionsTf(request, environment);
    files[`${dir}/variables.tf`] = variablesTf(request, environment);
    if (request.namespace) {
      files[`${dir}/namespace.tf`] = namespaceTf();
      add(
        'kubernetes_namespace.this',
        `namespace ${namespaceName(request, environment)}`,
      );
    }
    if (request.postgres) {
      files[`${dir}/postgres.tf`] = postgresTf(request, environment);
      const db = sqlName(`${request.postgres.database}_${environment}`);
      add('postgresql_database.app', `PostgreSQL database ${db}`);
      add('postgresql_role.app', `PostgreSQL role ${db} (generated password)`);
      add('kubernetes_secret.postgres', `Secret ${request.name}-postgres`);
    }
    if (request.redis) {
      files[`${dir}/redis.tf`] = redisTf(request, environment);
      add(
        'terraform_data.redis_acl_user',
        `Redis ACL user ${request.name}-${environment} on ${request.redis.keyPrefix}:*`,
      );
      add('kubernetes_secret.redis', `Secret ${request.name}-redis`);
    }
    if (request.bucket) {
      files[`${dir}/bucket.tf`] = bucketTf(request, environment);
      add('aws_s3_bucket.this', `bucket ${request.name}-${environment}`);
      if (request.bucket.corsOrigins.length) {
        add(
          'aws_s3_bucket_cors_configuration.this',
          `CORS for ${request.bucket.corsOrigins.join(', ')}`,
        );
      }
      add(
        'aws_s3_bucket_lifecycle_configuration.this',
        `objects expire after ${request.bucket.retentionDays} days`,
      );
    }
    if (request.dns) {
      files[`${dir}/dns.tf`] = dnsTf(request, environment);
      add(
        'cloudflare_record.this',
        `${request.dns.type} ${request.dns.records[environment]}.${request.dns.zone} → ${request.dns.target}`,
      );
    }
    if (request.subnet) {
      files[`${dir}/subnet.tf`] = subnetTf(request);
      add(
        'aws_subnet.this',
        `subnet ${request.subnet.cidr} (${request.subnet.tier}, ${request.subnet.usableAddresses} usable)`,
      );
    }
    const outputs = outputsTf(request);
    if (outputs) files[`${dir}/outputs.tf`] = outputs;
  }
  return { files, resources };
}

/** Every `cidr_block = "..."` already declared in the repository's Terraform. */
export function findDeclaredCidrs(terraformSources: string[]): string[] {
  const found: string[] = [];
  for (const source of terraformSources) {
    for (const match of source.matchAll(
      /cidr_block\s*=\s*"(\d+\.\d+\.\d+\.\d+\/\d+)"/g,
    )) {
      found.push(match[1]);
    }
  }
  return found;
}
