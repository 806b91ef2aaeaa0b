export interface Config {
  backupStatus?: {
    /** Velero source: reads `velero.io/v1` Backup objects of each entity's schedule. */
    velero?: {
      /** The Kubernetes API server, e.g. https://k8s.example.com:6443. */
      url: string;
      /**
       * Bearer token of a service account allowed to list `backups.velero.io`
       * in `namespace`.
       * @visibility secret
       */
      token: string;
      /** Base64 PEM of the cluster CA. */
      caData?: string;
      /** Skip TLS verification (test clusters only). Default false. */
      skipTLSVerify?: boolean;
      /** Where Velero runs. Default `velero`. */
      namespace?: string;
    };
  };
}
