export interface Config {
  app?: {
    signIn?: {
      /**
       * Sign-in providers offered on the sign-in page, in order: `guest`
       * (embedded default) or `github` (production).
       * @visibility frontend
       */
      providers?: Array<'guest' | 'github'>;
    };
  };
}
