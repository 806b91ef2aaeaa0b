# DNS record of quote-backend in staging; TLS comes from cert-manager (Let's Encrypt).
resource "cloudflare_record" "this" {
  zone_id = var.cloudflare_zone_id
  name    = "quote-backend.staging"
  type    = "CNAME"
  content = "lb.mana.how"
  proxied = true
  ttl     = 1
}
