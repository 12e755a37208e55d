/** Tag holding a version's semantic version. */
export const SEMVER_TAG = 'logbook.semver';
/** Tag holding the bump (`major`, `minor`, `patch`) a version created without an explicit semver asked for. */
export const SEMVER_BUMP_TAG = 'logbook.semver.bump';
/** Tag holding the version a version was derived from (lineage). */
export const PARENT_VERSION_TAG = 'logbook.parentVersion';
/** Tag prefix recording, on a promoted version, which version held the stage before it. */
export const PREVIOUS_HOLDER_TAG = 'logbook.previousVersion.';
/** SHA-256 (hex) of a version's model bytes. */
export const SHA256_TAG = 'logbook.sha256';
/** Size in bytes of a version's model bytes. */
export const SIZE_TAG = 'logbook.size';
/** Run whose artifact root holds a version's bytes. */
export const ARTIFACT_RUN_TAG = 'logbook.artifactRun';
/** Path of a version's bytes under that run's artifact root. */
export const ARTIFACT_PATH_TAG = 'logbook.artifactPath';
/** Git commit of the code that produced a version. */
export const GIT_COMMIT_TAG = 'logbook.git.commit';
/** `true` when the working tree had uncommitted changes at registration. */
export const GIT_DIRTY_TAG = 'logbook.git.dirty';
/** JSON array of the input datasets `{ name, digest, source }`. */
export const DATASETS_TAG = 'logbook.datasets';
/** Who registered a version. */
export const REGISTERED_BY_TAG = 'logbook.registeredBy';
/** Experiment holding the bytes of versions created from bytes (one run per model). */
export const MODELS_EXPERIMENT = 'logbook/models';
/** Experiment holding one run per deployment event. */
export const DEPLOYMENTS_EXPERIMENT = 'logbook/deployments';
