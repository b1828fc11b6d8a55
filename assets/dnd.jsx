// Minimal HTML5 drag and drop for Reflex: a draggable item and a drop zone that reports
// (item id, zone id). The rule for what may move where stays on the server.
import React from "react";

export function DragItem({ itemId, children, ...props }) {
  return (
    <div
      draggable="true"
      onDragStart={(event) => {
        event.dataTransfer.setData("text/plain", itemId);
        event.dataTransfer.effectAllowed = "move";
      }}
      {...props}
    >
      {children}
    </div>
  );
}

export function DropZone({ zoneId, onDropItem, children, ...props }) {
  const [over, setOver] = React.useState(false);
  return (
    <div
      onDragOver={(event) => {
        event.preventDefault();
        event.dataTransfer.dropEffect = "move";
        if (!over) setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(event) => {
        event.preventDefault();
        setOver(false);
        const itemId = event.dataTransfer.getData("text/plain");
        if (itemId && onDropItem) onDropItem(itemId, zoneId);
      }}
      data-drag-over={over ? "true" : "false"}
      {...props}
    >
      {children}
    </div>
  );
}
