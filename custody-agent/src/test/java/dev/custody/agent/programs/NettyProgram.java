package dev.custody.agent.programs;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/** Netty's direct buffers: 4 unpooled ones of 8 KiB leaked at a known line, and 100 pooled ones released. */
public final class NettyProgram {
    static final List<ByteBuf> LEAKED = new ArrayList<>();

    public static void main(String[] args) {
        UnpooledByteBufAllocator unpooled = new UnpooledByteBufAllocator(true);
        for (int i = 0; i < 4; i++) {
            LEAKED.add(unpooled.directBuffer(8192).writeLong(i)); // NETTY-UNPOOLED
        }
        PooledByteBufAllocator pooled = new PooledByteBufAllocator(true);
        for (int i = 0; i < 100; i++) {
            ByteBuf b = pooled.directBuffer(1024); // NETTY-POOLED
            b.writeLong(i);
            b.release();
        }
        System.out.println("noCleaner " + io.netty.util.internal.PlatformDependent.useDirectBufferNoCleaner());
        System.out.println("netty " + LEAKED.size() + " " + pooled.metric().usedDirectMemory());
    }
}
