import Logging

extension Configuration {
    /// A logger at the configured level.
    public func logger(label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = logLevel
        return logger
    }
}

/// How the long-running processes log.
public enum LogBootstrap {
    /// Makes every logger of the process write JSON lines (`JSONLogHandler`) to standard error.
    /// Called once by `datacovey-fcgi` and `datacovey-worker`; the admin tool keeps plain text
    /// for the person at the terminal.
    public static func jsonLines() {
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label) }
    }
}
