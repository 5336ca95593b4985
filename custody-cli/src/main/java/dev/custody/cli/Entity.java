package dev.custody.cli;

import java.util.random.RandomGenerator;

/**
 * What stands on a level's cell besides its terrain, with its glyph in {@code custody levels --print}.
 * Monsters, items and doors stand on floor; torches hang on walls.
 */
enum Entity {
    RAT('r', "rat"),
    GOBLIN('g', "goblin"),
    ORC('o', "orc"),
    TROLL('T', "troll"),
    POTION('!', "potion"),
    SCROLL('?', "scroll"),
    GOLD('$', "gold"),
    WEAPON(')', "weapon"),
    CLOSED_DOOR('+', "closed door"),
    OPEN_DOOR('\'', "open door"),
    TORCH('*', "torch on a wall");

    private static final Entity[] MONSTERS = {RAT, RAT, RAT, RAT, GOBLIN, GOBLIN, GOBLIN, ORC, ORC, TROLL};
    private static final Entity[] ITEMS = {POTION, SCROLL, GOLD, WEAPON};

    private final char glyph;
    private final String description;

    Entity(char glyph, String description) {
        this.glyph = glyph;
        this.description = description;
    }

    char glyph() {
        return glyph;
    }

    String description() {
        return description;
    }

    /** A random monster, the weaker ones likelier. */
    static Entity monster(RandomGenerator random) {
        return MONSTERS[random.nextInt(MONSTERS.length)];
    }

    /** A random item. */
    static Entity item(RandomGenerator random) {
        return ITEMS[random.nextInt(ITEMS.length)];
    }
}
