package dev.custody;
public record Tag(String name) {}
