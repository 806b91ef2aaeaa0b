output "postgres_database" {
  value = postgresql_database.app.name
}

output "postgres_secret" {
  description = "Kubernetes Secret holding the credentials."
  value       = kubernetes_secret.postgres.metadata[0].name
}

output "redis_secret" {
  value = kubernetes_secret.redis.metadata[0].name
}

output "bucket" {
  value = aws_s3_bucket.this.bucket
}

output "hostname" {
  value = cloudflare_record.this.hostname
}
