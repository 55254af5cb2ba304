import Logging

extension Configuration {
    /// A logger at the configured level.
    public func logger(label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = logLevel
        return logger
    }
}
