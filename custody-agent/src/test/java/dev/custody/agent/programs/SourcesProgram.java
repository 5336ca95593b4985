package dev.custody.agent.programs;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Map;
import javax.management.ObjectName;

/** Holds 3 direct buffers of 4 KiB and prints what the agent's direct-buffer MXBean says. */
public final class SourcesProgram {
    public static void main(String[] args) throws Exception {
        ByteBuffer[] kept = {ByteBuffer.allocateDirect(4096), ByteBuffer.allocateDirect(4096), ByteBuffer.allocateDirect(4096)};
        var server = ManagementFactory.getPlatformMBeanServer();
        ObjectName direct = new ObjectName("dev.custody:type=AgentSource,name=direct-buffer");
        System.out.println("liveBytes " + server.getAttribute(direct, "LiveBytes"));
        System.out.println("liveBlocks " + server.getAttribute(direct, "LiveBlocks"));
        Object byOwner = server.getAttribute(direct, "LiveBytesByOwner");
        for (Object row : ((javax.management.openmbean.TabularData) byOwner).values()) {
            var c = (javax.management.openmbean.CompositeData) row;
            System.out.println("owner " + c.get("key") + " = " + c.get("value"));
        }
        System.out.println("kinds " + server.queryNames(new ObjectName("dev.custody:type=AgentSource,*"), null).size());
        System.out.println("held " + kept.length + Map.of().size());
    }
}
