# A Redis ACL user limited to its key prefix on the shared Redis.
resource "random_password" "redis" {
  length  = 32
  special = false
}

resource "terraform_data" "redis_acl_user" {
  triggers_replace = [random_password.redis.result]

  provisioner "local-exec" {
    # The admin password is REDISCLI_AUTH in the environment of apply; the
    # user's password reaches redis-cli through the environment only.
    command = "redis-cli -h \"$REDIS_HOST\" ACL SETUSER \"$REDIS_USER\" reset on \">$REDIS_USER_PASSWORD\" \"~$REDIS_KEYS\" +@read +@write -@dangerous"
    environment = {
      REDIS_HOST          = var.redis_host
      REDIS_USER          = "quote-backend-production"
      REDIS_KEYS          = "quote-backend:*"
      REDIS_USER_PASSWORD = random_password.redis.result
    }
  }
}

resource "kubernetes_secret" "redis" {
  metadata {
    name      = "quote-backend-redis"
    namespace = var.namespace
    labels    = local.labels
  }
  data = {
    REDIS_USERNAME   = "quote-backend-production"
    REDIS_PASSWORD   = random_password.redis.result
    REDIS_KEY_PREFIX = "quote-backend:"
  }
  depends_on = [kubernetes_namespace.this]
}
