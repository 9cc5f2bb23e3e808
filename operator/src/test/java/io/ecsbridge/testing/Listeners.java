package io.ecsbridge.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The TCP sockets a set of processes listen on, read from Linux's /proc (no traffic sent): /proc/net/tcp and tcp6
 * give each listening socket's address, port and inode; /proc/PID/fd tells which process holds that inode.
 */
public final class Listeners {
  private Listeners() {}

  /** One listening socket: the process holding it, and the address and port it listens on. */
  public record Listener(long pid, String command, InetAddress address, int port) {
    public boolean loopback() {
      return address.isLoopbackAddress();
    }

    @Override
    public String toString() {
      return address.getHostAddress() + ":" + port + " (pid " + pid + " " + command + ")";
    }
  }

  /** The listening TCP sockets of this process and every process it started, directly or not. */
  public static List<Listener> ofThisProcessTree() {
    return ofTree(ProcessHandle.current());
  }

  /** The listening TCP sockets of {@code root} and its descendants. */
  public static List<Listener> ofTree(ProcessHandle root) {
    List<ProcessHandle> processes = new ArrayList<>();
    processes.add(root);
    root.descendants().forEach(processes::add);
    Map<Long, ProcessHandle> byInode = new HashMap<>();
    for (ProcessHandle p : processes) {
      for (long inode : socketInodes(p.pid())) {
        byInode.put(inode, p);
      }
    }
    List<Listener> result = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      for (String[] row : listeningRows(Path.of(table))) {
        ProcessHandle owner = byInode.get(Long.parseLong(row[9]));
        if (owner != null) {
          String[] local = row[1].split(":");
          result.add(new Listener(owner.pid(), owner.info().command().orElse("?"), address(local[0]),
              Integer.parseInt(local[1], 16)));
        }
      }
    }
    return result;
  }

  /** Rows of a /proc/net/tcp* table in state 0A (LISTEN), split on whitespace. */
  private static List<String[]> listeningRows(Path table) {
    try {
      return Files.readAllLines(table).stream().skip(1).map(l -> l.trim().split("\\s+"))
          .filter(r -> r.length > 9 && "0A".equals(r[3])).toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + table + " (Linux only): " + e.getMessage(), e);
    }
  }

  private static List<Long> socketInodes(long pid) {
    List<Long> inodes = new ArrayList<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
      fds.forEach(fd -> {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
          }
        } catch (IOException ignored) {
          // the descriptor was closed meanwhile
        }
      });
    } catch (IOException ignored) {
      // the process ended meanwhile
    }
    return inodes;
  }

  /** /proc's hex address: 4-byte words, each in the machine's (little-endian) byte order. */
  private static InetAddress address(String hex) {
    byte[] bytes = new byte[hex.length() / 2];
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int i = 0; i < 4; i++) {
        int at = (word * 4 + 3 - i) * 2;
        bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
      }
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
