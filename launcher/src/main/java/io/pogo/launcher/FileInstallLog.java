package io.pogo.launcher;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * FileInstall's messages as a user should read them: one line on stderr naming the file, with the reason and
 * without a stack trace (a definition file that cannot be parsed, say).
 */
final class FileInstallLog extends Handler {

    private static final String LOGGER = "fileinstall";
    private static final String FAILED_INSTALL = "Failed to install artifact: ";
    /** Held so the logger, which the JDK only references weakly, keeps this handler. */
    private static final Logger FILEINSTALL = Logger.getLogger(LOGGER);

    private FileInstallLog() {
    }

    static void install() {
        FILEINSTALL.setUseParentHandlers(false);
        for (Handler handler : FILEINSTALL.getHandlers()) {
            FILEINSTALL.removeHandler(handler);
        }
        FILEINSTALL.setLevel(Level.WARNING);
        FILEINSTALL.addHandler(new FileInstallLog());
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() < Level.WARNING.intValue()) {
            return;
        }
        String message = record.getMessage();
        String reason = reason(record.getThrown());
        if (message.startsWith(FAILED_INSTALL)) {
            System.err.println("pogo: " + message.substring(FAILED_INSTALL.length())
                    + ": not a valid definition file" + (reason.isEmpty() ? "" : " (" + reason + ")"));
        } else {
            System.err.println("pogo: " + message + (reason.isEmpty() ? "" : ": " + reason));
        }
    }

    private static String reason(Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                return cause.getMessage().strip();
            }
        }
        return "";
    }

    @Override
    public void flush() {
        System.err.flush();
    }

    @Override
    public void close() {
    }
}
