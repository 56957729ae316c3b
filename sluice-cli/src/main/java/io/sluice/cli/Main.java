package io.sluice.cli;

/** Entry point of the sluice jar. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("sluice");
    }
}
