variable "namespace" {
  description = "Kubernetes namespace of quote-backend in production."
  type        = string
  default     = "quote-production"
}

variable "s3_region" {
  description = "Region of the S3-compatible storage."
  type        = string
  default     = "eu-central"
}

variable "redis_host" {
  description = "Host of the shared Redis; the admin password is read from REDISCLI_AUTH."
  type        = string
  default     = "redis"
}

variable "cloudflare_zone_id" {
  description = "Cloudflare zone id of mana.how."
  type        = string
}
