/**
 * Scaffolder actions of the platform portal: Terraform for infrastructure
 * (`platform:infra:render`), GitOps manifests (`platform:gitops:render`),
 * image pins for rollback and promotion bound to trusted catalog entities
 * (`platform:gitops:locate`, `platform:gitops:set-image`), and the
 * templates' server-side checks (`platform:repo:check`,
 * `platform:portal:info`).
 *
 * @packageDocumentation
 */
export { scaffolderModulePlatform as default } from './module';
export { createInfraRenderAction } from './actions/infra/createInfraRenderAction';
export type {
  InfraRenderInput,
  InfraRenderOutput,
} from './actions/infra/createInfraRenderAction';
export { createGitopsRenderAction } from './actions/gitops/createGitopsRenderAction';
export { createGitopsLocateAction } from './actions/gitops/createGitopsLocateAction';
export { createGitopsSetImageAction } from './actions/gitops/createGitopsSetImageAction';
export type { GitopsTargetOptions } from './actions/gitops/gitopsTarget';
export { createRepoCheckAction } from './actions/portal/createRepoCheckAction';
export { createPortalInfoAction } from './actions/portal/createPortalInfoAction';
export { checkSubnet, VPC_CIDR } from './actions/infra/networkPlan';
export type { NetworkTier, SubnetCheck } from './actions/infra/networkPlan';
