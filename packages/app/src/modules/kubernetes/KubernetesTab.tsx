import { useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { EmptyState, Progress } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Router as KubernetesContentRouter } from '@backstage/plugin-kubernetes';
import { kubernetesApiRef } from '@backstage/plugin-kubernetes-react';

/**
 * The upstream Kubernetes tab, but when the portal has no cluster configured
 * (the embedded default) it says so, instead of "No resources on any known
 * clusters", which reads as if the service were not deployed.
 */
export function KubernetesTab() {
  const { entity } = useEntity();
  const kubernetesApi = useApi(kubernetesApiRef);
  const [clusters, setClusters] = useState<number | Error | undefined>();

  useEffect(() => {
    let cancelled = false;
    kubernetesApi.getClusters().then(
      list => !cancelled && setClusters(list.length),
      error => !cancelled && setClusters(error),
    );
    return () => {
      cancelled = true;
    };
  }, [kubernetesApi]);

  if (clusters === undefined) return <Progress />;
  if (clusters === 0) {
    return (
      <EmptyState
        missing="info"
        title="No Kubernetes cluster is configured in this portal"
        description={`The portal cannot show the pods of ${entity.metadata.name}: no cluster is listed under kubernetes.clusterLocatorMethods in its app-config. A platform admin adds one (see "Production install" in the portal's docs); deployment status per environment is on the Deployments tab.`}
      />
    );
  }
  // with clusters (or when listing them failed) the upstream content explains
  return <KubernetesContentRouter />;
}
