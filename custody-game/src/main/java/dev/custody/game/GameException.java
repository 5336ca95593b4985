package dev.custody.game;

/** The game refused a path-table operation: the slot is out of range, busy, empty, not playing or removed. */
public final class GameException extends RuntimeException {
    /** GAME_E_NO_PATH. */
    static final int NO_PATH = -3;

    private final int code;
    private final int slot;

    GameException(String operation, int slot, int code) {
        super(operation + "(" + slot + ") refused by the game: " + reason(code));
        this.code = code;
        this.slot = slot;
    }

    /** The game's negative result code ({@code GAME_E_*} in game.h). */
    public int code() {
        return code;
    }

    public int slot() {
        return slot;
    }

    private static String reason(int code) {
        return switch (code) {
            case -1 -> "slot out of range 0.." + (Game.PATH_SLOTS - 1);
            case -2 -> "the slot already holds a path";
            case -3 -> "no path in that slot";
            case -4 -> "no playback of that path to stop";
            case -5 -> "NULL data";
            case -6 -> "the path was removed";
            default -> "code " + code;
        };
    }
}
