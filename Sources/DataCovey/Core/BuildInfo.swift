/// What this build is, for `--version` and for operators' reports. The version is the
/// release's; `scripts/package` names the .deb after it.
public enum BuildInfo {
    public static let version = "0.9.0"
}
