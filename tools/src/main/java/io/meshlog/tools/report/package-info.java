/**
 * What the commands print, as libraries tests call directly: the journal dump (text and JSON
 * lines), the stats tables (text, JSON, CSV) and benchmark figures as JSON lines. Not API.
 */
package io.meshlog.tools.report;
