# Rendered by platform:infra:render for quote-backend in production.
# Provider credentials come from the environment of whoever runs apply;
# nothing secret is stored in this repository.
terraform {
  required_version = ">= 1.6"

  required_providers {
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
    postgresql = {
      source  = "cyrilgdn/postgresql"
      version = "~> 1.22"
    }
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
    cloudflare = {
      source  = "cloudflare/cloudflare"
      version = "~> 4.0"
    }
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = "~> 2.31"
    }
  }

  # State in the S3-compatible bucket of the estate; bucket and endpoint
  # come from -backend-config (see infra/README.md).
  backend "s3" {
    key = "production/quote-backend.tfstate"
  }
}

provider "aws" {
  # S3-compatible storage (Hetzner, Wasabi, R2, MinIO): set AWS_ENDPOINT_URL_S3.
  region                      = var.s3_region
  skip_credentials_validation = true
  skip_requesting_account_id  = true
}

locals {
  labels = {
    "app.kubernetes.io/name"          = "quote-backend"
    "app.kubernetes.io/managed-by"    = "terraform"
    "platform-portal.dev/environment" = "production"
    "platform-portal.dev/system"      = "quote"
    "platform-portal.dev/owner"       = "quote-team"
  }
}
