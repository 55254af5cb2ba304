/// What this build is, for `--version` and for operators' reports. The version is the
/// release's, the same as the repository's VERSION file (a test compares them), which
/// `scripts/package` names the .deb after.
public enum BuildInfo {
    public static let version = "0.9.0"
}
