/** A configured check, as the readiness plugin reads it (see config.ts). */
export interface ReadinessCheck {
  id: string;
  name: string;
  description: string;
  level: string;
  category: string;
  /** The fact retrievers whose facts the check reads. */
  factIds: string[];
  fix: { title: string; url: string };
}
