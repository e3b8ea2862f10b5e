/** Cache regions (memory, SQLite) and the cached stationary model. */
module org.jmor.cache {
  requires static org.jspecify;
  requires transitive org.jmor.discretizer;
  requires com.github.benmanes.caffeine;
  requires java.sql;
  requires org.xerial.sqlitejdbc;
  requires org.slf4j;

  exports org.jmor.cache;
  exports org.jmor.cache.models;
}
