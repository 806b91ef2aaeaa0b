/**
 * Scaffolder actions of the platform portal: Terraform for infrastructure
 * (`platform:infra:render`), GitOps manifests (`platform:gitops:render`) and
 * image pins for rollback and promotion (`platform:gitops:set-image`).
 *
 * @packageDocumentation
 */
export { scaffolderModulePlatform as default } from './module';
export { createInfraRenderAction } from './actions/infra/createInfraRenderAction';
export { createGitopsRenderAction } from './actions/gitops/createGitopsRenderAction';
export { createGitopsLocateAction } from './actions/gitops/createGitopsLocateAction';
export { createGitopsSetImageAction } from './actions/gitops/createGitopsSetImageAction';
export type { GitopsTargetOptions } from './actions/gitops/gitopsTarget';
export { checkSubnet, VPC_CIDR } from './actions/infra/networkPlan';
export type { NetworkTier, SubnetCheck } from './actions/infra/networkPlan';
