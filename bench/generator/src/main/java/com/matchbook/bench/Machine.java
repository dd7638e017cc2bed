package com.matchbook.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the run was measured on, and the versions of everything measured. */
final class Machine {
    private Machine() {
    }

    static Map<String, Object> describe(Path bench) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        long memKb = Files.readAllLines(Path.of("/proc/meminfo")).stream()
                .filter(l -> l.startsWith("MemTotal")).findFirst()
                .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).orElse(0L);
        int cores = Runtime.getRuntime().availableProcessors();
        String kernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        m.put("cpu", cpu);
        m.put("cores", Integer.parseInt(run("nproc", "--all").isEmpty() ? "0" : run("nproc", "--all")));
        m.put("memory_gb", Math.round(memKb / 1048576.0));
        m.put("kernel", kernel);
        m.put("java", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.version"));
        m.put("node", run("node", "--version"));
        m.put("socket.io", npmVersion(bench, "socket.io"));
        m.put("ws", npmVersion(bench, "ws"));
        m.put("netty", io.netty.util.Version.identify().get("netty-common").artifactVersion());
        m.put("matchbook_commit", run("git", "-C", bench.toString(), "rev-parse", "--short", "HEAD"));
        // Whether a starting Matchbook node holds its port (server: limits.StartupBacklog); bench/run sets it to 1.
        Path migrate = Path.of("/proc/sys/net/ipv4/tcp_migrate_req");
        m.put("tcp_migrate_req", Files.exists(migrate) ? Files.readString(migrate).trim() : "absent");
        m.put("summary", m.get("cores") + " cores " + cpu + ", " + m.get("memory_gb") + " GB, Linux " + kernel
                + " (generator sees " + cores + " core), net.ipv4.tcp_migrate_req=" + m.get("tcp_migrate_req"));
        return m;
    }

    private static String npmVersion(Path bench, String pkg) throws IOException {
        Path p = bench.resolve("node_modules").resolve(pkg).resolve("package.json");
        if (!Files.exists(p)) {
            return "not installed";
        }
        String json = Files.readString(p);
        int at = json.indexOf("\"version\"");
        return json.substring(json.indexOf('"', json.indexOf(':', at)) + 1, json.indexOf('"',
                json.indexOf('"', json.indexOf(':', at)) + 1));
    }

    private static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }
}
