# A database and its owner role on the shared PostgreSQL server.
resource "random_password" "postgres" {
  length  = 32
  special = false
}

resource "postgresql_role" "app" {
  name             = "quote_production"
  login            = true
  password         = random_password.postgres.result
  connection_limit = 20
}

resource "postgresql_database" "app" {
  name              = "quote_production"
  owner             = postgresql_role.app.name
  connection_limit  = 20
  allow_connections = true
}

# The application reads its credentials from this Secret, never from git.
resource "kubernetes_secret" "postgres" {
  metadata {
    name      = "quote-backend-postgres"
    namespace = var.namespace
    labels    = local.labels
  }
  data = {
    PGDATABASE = postgresql_database.app.name
    PGUSER     = postgresql_role.app.name
    PGPASSWORD = random_password.postgres.result
  }
  depends_on = [kubernetes_namespace.this]
}
