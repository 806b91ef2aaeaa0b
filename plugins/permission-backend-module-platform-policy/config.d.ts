export interface Config {
  /** The platform portal's permission policy. */
  platformPolicy?: {
    /**
     * Groups whose members may do everything (the platform team), as entity
     * refs. Default: `['group:default/platform-team']`.
     */
    platformTeams?: string[];
    /**
     * Users who may only read, as entity refs. Default: the guest provider's
     * user, `['user:development/guest']`.
     */
    readOnlyUsers?: string[];
  };
}
