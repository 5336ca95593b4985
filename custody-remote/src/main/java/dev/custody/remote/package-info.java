/** Remote references: see DESIGN.md, "Remote references". */
package dev.custody.remote;
