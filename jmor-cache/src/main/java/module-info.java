/** Cache regions (memory, disk and persistent SQLite), keys, the value format and statistics. */
module org.jmor.cache {
  requires static org.jspecify;
  requires org.jmor.base;
  requires com.github.benmanes.caffeine;
  requires java.sql;
  requires org.xerial.sqlitejdbc;
  requires org.slf4j;

  exports org.jmor.cache;
}
