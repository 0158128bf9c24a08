/**
 * English UI text. This object defines the message keys: every other locale is typed as
 * {@link Messages}, so a missing or extra key fails the typecheck.
 *
 * vue-i18n treats `{`, `}`, `@`, `$` and `|` as syntax; keep them out of plain text.
 */
const en = {
  app: {
    name: 'chaosgate',
    tagline: 'The control room in front of Chaos Mesh',
  },
  nav: {
    label: 'Main navigation',
    home: 'Environments',
    topology: 'Topology',
    runs: 'Runs',
    approvals: 'Approvals',
    audit: 'Audit',
  },
  header: {
    environment: 'Environment',
    environmentPlaceholder: 'Select an environment',
    noEnvironments: 'No environments',
    production: 'PROD',
    language: 'Language',
    signOut: 'Sign out',
    roles: 'Roles',
  },
  common: {
    retry: 'Retry',
  },
  locales: {
    en: 'English',
    zhCN: '中文',
  },
  roles: {
    developer: 'Developer',
    sre: 'SRE',
    oncall: 'On-call',
    auditor: 'Auditor',
  },
  signIn: {
    title: 'Sign in',
    subtitle: 'Sign in with your chaosgate account.',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    usernameRequired: 'Enter your username.',
    usernameInvalid: 'Use lower-case letters, digits, dots, dashes or underscores.',
    passwordRequired: 'Enter your password.',
    sessionExpired: 'Your session has ended. Sign in again.',
    signedOut: 'You have signed out.',
  },
  home: {
    title: 'Environments',
    description:
      'Where experiments may run and the policy each environment enforces. Changing the policy is reserved to SREs and is audited.',
    production: 'Production',
    selected: 'Selected',
    select: 'Select',
    empty: 'No environments are configured.',
    loadFailed: 'The environments could not be loaded.',
    updated: 'Policy version {version}, updated {time}',
  },
  policy: {
    submitRoles: 'Who may submit',
    approval: 'Approval',
    executeRoles: 'Who may execute',
    orSubmitter: 'or the submitter',
    maxDuration: 'Longest run',
    maxPods: 'Most pods affected',
    allowedKinds: 'Allowed kinds',
    allKinds: 'All Chaos Mesh kinds',
    probeAllowList: 'Probe targets',
    noProbeTargets: 'None allowed',
    chaosNamespace: 'Chaos namespace',
    targetNamespaces: 'Target namespaces',
    noTargetNamespaces: 'None',
    approvalModes: {
      none: 'None, runs are approved on submit',
      one_sre: 'One SRE',
      four_eyes: 'Four eyes, an SRE other than the submitter',
    },
  },
  duration: {
    hours: '{n} h',
    minutes: '{n} min',
    seconds: '{n} s',
  },
  pages: {
    topology: {
      title: 'Topology',
      description:
        'The live service map of the selected environment: workloads and services with the labels that select them, and the edges each provider reports. Pick a target here to compose an experiment.',
      empty: 'The service map will appear here.',
    },
    runs: {
      title: 'Runs',
      description:
        'Experiment runs in the selected environment with their status, submitter, approver and manifest hash, updated live while they run.',
      empty: 'Experiment runs will appear here.',
    },
    approvals: {
      title: 'Approvals',
      description:
        'Runs waiting for approval, with their exact manifest, blast radius and probes. SREs approve or reject them here.',
      empty: 'Runs waiting for approval will appear here.',
    },
    audit: {
      title: 'Audit',
      description: 'The append-only record of who did what, when, and with which manifest. Search it and export it.',
      empty: 'Audit events will appear here.',
    },
    notFound: {
      title: 'Page not found',
      description: 'There is nothing at this address.',
      back: 'Back to environments',
    },
  },
  errors: {
    unknown: 'Something went wrong.',
    CG_CLIENT_NETWORK: 'The chaosgate server cannot be reached. Check your connection and try again.',
    CG_CLIENT_BAD_RESPONSE: 'The server sent an unexpected response.',
    CG_VALIDATION_FAILED: 'Some fields are not valid.',
    CG_INVALID_JSON: 'The request was not valid JSON.',
    CG_BODY_TOO_LARGE: 'The request is too large.',
    CG_UNSUPPORTED_MEDIA_TYPE: 'The request format is not supported.',
    CG_NOT_FOUND: 'Not found.',
    CG_ROUTE_NOT_FOUND: 'This API endpoint does not exist.',
    CG_RATE_LIMITED: 'Too many attempts. Wait a moment and try again.',
    CG_INTERNAL: 'The server hit an internal error.',
    CG_UNAVAILABLE: 'The server is not ready. Try again shortly.',
    CG_AUTH_REQUIRED: 'Sign in to continue.',
    CG_AUTH_INVALID_CREDENTIALS: 'Invalid username or password.',
    CG_AUTH_CSRF_INVALID: 'Your form expired. Reload the page and try again.',
    CG_AUTH_FORBIDDEN_ROLE: 'Your roles do not allow this action.',
    CG_ENV_NOT_FOUND: 'This environment does not exist.',
    CG_POLICY_NAMESPACE_FORBIDDEN: 'This namespace may never be targeted.',
    CG_POLICY_NAMESPACE_OUTSIDE_ENV: 'This namespace is outside the environment.',
    CG_POLICY_INVALID_NAMESPACE: 'This is not a valid namespace name.',
    CG_POLICY_SELECTOR_EMPTY: 'The selector is empty; it would hit every pod.',
    CG_POLICY_KIND_FORBIDDEN: 'This kind of experiment is not allowed here.',
    CG_POLICY_LIMIT_EXCEEDED: 'The experiment exceeds the limits of this environment.',
    CG_POLICY_PROBE_URL_FORBIDDEN: 'This probe target is not on the allow-list.',
    CG_EMERGENCY_STOP_ENGAGED: 'The emergency stop is engaged; nothing may run.',
    CG_MANIFEST_INVALID_YAML: 'The manifest is not valid YAML.',
    CG_MANIFEST_TOO_LARGE: 'The manifest is too large.',
    CG_MANIFEST_NOT_CHAOS_KIND: 'The manifest is not a Chaos Mesh experiment.',
    CG_MANIFEST_SCHEMA_VIOLATION: 'The manifest does not match the Chaos Mesh schema.',
    CG_MANIFEST_DRY_RUN_REJECTED: 'The cluster rejected the manifest in a dry run.',
    CG_PREVIEW_HASH_REQUIRED: 'Preview the manifest before submitting it.',
    CG_PREVIEW_HASH_STALE: 'The manifest changed since the preview. Preview it again.',
    CG_RUN_NOT_FOUND: 'This run does not exist.',
    CG_RUN_ILLEGAL_TRANSITION: 'The run cannot move to that state from its current one.',
    CG_RUN_CONFLICT: 'Someone else changed this run. Reload and try again.',
    CG_KUBE_FORBIDDEN: 'The cluster denied chaosgate access.',
    CG_KUBE_NOT_FOUND: 'The cluster object was not found.',
    CG_KUBE_CONFLICT: 'The cluster object changed meanwhile.',
    CG_KUBE_INVALID: 'The cluster rejected the object as invalid.',
    CG_KUBE_UNKNOWN_KIND: 'The cluster does not know this kind; is Chaos Mesh installed?',
    CG_KUBE_UNAVAILABLE: 'The cluster cannot be reached.',
  },
};

export type Messages = typeof en;
export default en;
