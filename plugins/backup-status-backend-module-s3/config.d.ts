export interface Config {
  backupStatus?: {
    /** S3 source: lists backup objects of each entity in an S3-compatible bucket. */
    s3?: {
      /** Bucket holding the backups. Required to enable the source. */
      bucket: string;
      /** Region. Default `us-east-1`. */
      region?: string;
      /** Endpoint of an S3-compatible service (Hetzner, Wasabi, MinIO). Default: AWS. */
      endpoint?: string;
      /** Path-style URLs (`endpoint/bucket/key`), needed by most S3-compatible services. Default true when `endpoint` is set. */
      forcePathStyle?: boolean;
      /** Key prefix before each entity's folder. Default `''`. */
      prefix?: string;
      /** Static credentials; default: the AWS SDK's credential chain (env, profile, role). */
      credentials?: {
        accessKeyId: string;
        /** @visibility secret */
        secretAccessKey: string;
      };
    };
  };
}
