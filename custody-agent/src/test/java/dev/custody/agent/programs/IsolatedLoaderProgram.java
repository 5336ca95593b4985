package dev.custody.agent.programs;

import java.net.URL;
import java.net.URLClassLoader;

/**
 * Loads {@link IsolatedWorkload} in a class loader whose parent is the bootstrap loader, as an
 * application server or a plugin host isolates its modules: nothing of the application class path,
 * the agent's jar included, is visible to it. The rewritten call sites must still reach the agent's
 * hooks, which the agent put on the bootstrap class path.
 */
public final class IsolatedLoaderProgram {
    public static void main(String[] args) throws Exception {
        URL classes = IsolatedLoaderProgram.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader isolated = new URLClassLoader("isolated", new URL[] {classes}, null)) {
            Class<?> workload = isolated.loadClass(IsolatedWorkload.class.getName());
            System.out.println("loader " + workload.getClassLoader().getName()
                    + " app " + (workload == IsolatedWorkload.class));
            workload.getMethod("main", String[].class).invoke(null, (Object) args);
        }
    }
}
