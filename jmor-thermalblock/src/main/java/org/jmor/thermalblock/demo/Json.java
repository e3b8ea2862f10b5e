package org.jmor.thermalblock.demo;

import java.util.List;
import java.util.Map;

/** A minimal JSON writer for the demo's report: maps, lists, numbers, strings, booleans, null. */
final class Json {
  private Json() {}

  static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, 0);
    return sb.append('\n').toString();
  }

  private static void write(StringBuilder sb, Object v, int indent) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String) {
      string(sb, (String) v);
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      sb.append(Double.isFinite(d) ? Double.toString(d) : "null");
    } else if (v instanceof Number || v instanceof Boolean) {
      sb.append(v);
    } else if (v instanceof double[]) {
      double[] a = (double[]) v;
      sb.append('[');
      for (int i = 0; i < a.length; i++) {
        if (i > 0) {
          sb.append(", ");
        }
        write(sb, a[i], indent);
      }
      sb.append(']');
    } else if (v instanceof int[]) {
      int[] a = (int[]) v;
      sb.append('[');
      for (int i = 0; i < a.length; i++) {
        sb.append(i > 0 ? ", " : "").append(a[i]);
      }
      sb.append(']');
    } else if (v instanceof List) {
      List<?> l = (List<?>) v;
      boolean flat = l.stream().noneMatch(e -> e instanceof Map || e instanceof List);
      sb.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        if (flat) {
          sb.append(i > 0 ? " " : "");
        } else {
          newline(sb, indent + 1);
        }
        write(sb, l.get(i), indent + 1);
      }
      if (!flat && !l.isEmpty()) {
        newline(sb, indent);
      }
      sb.append(']');
    } else if (v instanceof Map) {
      Map<?, ?> m = (Map<?, ?>) v;
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        newline(sb, indent + 1);
        string(sb, e.getKey().toString());
        sb.append(": ");
        write(sb, e.getValue(), indent + 1);
      }
      if (!m.isEmpty()) {
        newline(sb, indent);
      }
      sb.append('}');
    } else {
      throw new IllegalArgumentException("cannot write a " + v.getClass().getName() + " as JSON");
    }
  }

  private static void newline(StringBuilder sb, int indent) {
    sb.append('\n');
    for (int i = 0; i < indent; i++) {
      sb.append("  ");
    }
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': sb.append("\\\""); break;
        case '\\': sb.append("\\\\"); break;
        case '\n': sb.append("\\n"); break;
        case '\r': sb.append("\\r"); break;
        case '\t': sb.append("\\t"); break;
        default:
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }
}
