package dev.custody.game;

/** The game refused a path-table operation: the slot is out of range, busy, empty, not playing or removed. */
public final class GameException extends RuntimeException {
    /** The result codes of game.h ({@code GAME_E_*}). */
    static final int SLOT = -1;
    static final int BUSY = -2;
    static final int NO_PATH = -3;
    static final int NOT_PLAYING = -4;
    static final int NULL_DATA = -5;
    static final int REMOVED = -6;

    /** The game's result code. */
    private final int code;
    /** The slot the operation named. */
    private final int slot;

    GameException(String operation, int slot, int code) {
        super(operation + "(" + slot + ") refused by the game: " + reason(code));
        this.code = code;
        this.slot = slot;
    }

    /**
     * The game's negative result code ({@code GAME_E_*} in game.h).
     *
     * @return the code
     */
    public int code() {
        return code;
    }

    /**
     * The slot the refused operation named.
     *
     * @return the slot
     */
    public int slot() {
        return slot;
    }

    private static String reason(int code) {
        return switch (code) {
            case SLOT -> "slot out of range 0.." + (Game.PATH_SLOTS - 1);
            case BUSY -> "the slot already holds a path";
            case NO_PATH -> "no path in that slot";
            case NOT_PLAYING -> "no playback of that path to stop";
            case NULL_DATA -> "NULL data";
            case REMOVED -> "the path was removed";
            default -> "code " + code;
        };
    }
}
