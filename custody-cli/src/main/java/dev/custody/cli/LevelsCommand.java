package dev.custody.cli;

import dev.custody.Heaps;
import dev.custody.scoped.Frames;
import dev.custody.scoped.Region;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code custody levels --seed N [--print]}: generates the level of a seed in a region of its own
 * ({@link LevelGenerator}), prints its one-line summary (with {@code --print}, also the map and its
 * legend), and releases the region. Standard output is the same, byte for byte, on every run with the
 * same seed. A usage error is one line on standard error, and exit status 2.
 */
@Command(name = "levels", mixinStandardHelpOptions = true,
        customSynopsis = "custody levels --seed=N [--print] [-hV]",
        description = {"Generates the dungeon level of a seed (seed 001's generator: BSP rooms, a maze, a cave, "
                + "monsters, items, doors and torches), all of it in one region, and prints it.",
                "Exit status: 0 done, 2 bad usage."})
final class LevelsCommand implements Callable<Integer>, IParameterExceptionHandler {
    /** The region's chunk size, as in the levels scenario. */
    static final long CHUNK = LevelsScenario.CHUNK;

    private final PrintStream out;
    private final PrintStream err;

    // checked in call(), not by picocli, so that an unknown option is named before a missing seed
    @Option(names = "--seed", paramLabel = "N", description = "The level's seed, any long (required).")
    private Long seed;

    @Spec
    private CommandSpec spec;

    @Option(names = "--print", description = "Also print the level's map and a legend of its glyphs.")
    private boolean print;

    LevelsCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        if (seed == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--seed=N'");
        }
        Region region = Heaps.region("levels", Heaps.libc(), CHUNK);
        try {
            Level level = new LevelGenerator(region, seed).generate();
            out.println(LevelText.summary(seed, level));
            if (print) {
                LevelText.map(level).forEach(out::println);
                out.println("Legend:");
                LevelText.legend().forEach(out::println);
            }
        } finally {
            Frames.reset();
            region.release();
            region.close();
            Frames.release();
        }
        return 0;
    }

    /** One line: what was wrong, and where the help is. */
    @Override
    public int handleParseException(ParameterException e, String[] args) {
        String name = e.getCommandLine().getCommandSpec().qualifiedName();
        err.println(name + ": " + e.getMessage() + " (see '" + name + " --help')");
        return e.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
    }
}
