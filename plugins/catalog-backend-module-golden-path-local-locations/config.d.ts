export interface Config {
  /** Golden Path for Go. */
  goldenPath?: {
    /** The development-only module that lets the catalog register `file` locations. */
    localLocations?: {
      /**
       * Starts the module even when NODE_ENV is not `development`. Any user who may register a
       * location could then make the catalog read YAML files of the backend's disk: leave unset
       * in production, where templates publish to a repository and register `url` locations.
       */
      dangerouslyAllowOutsideDevelopment?: boolean;
    };
  };
}
